# diagnosis: half-symmetric-part


def quadratic_derivatives(A, b, x):
    value = float(x @ A @ x + b @ x)
    S = 0.5 * (A + A.T)
    return value, S @ x + b, S
