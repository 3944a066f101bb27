# expect: A + A^T


def quadratic_derivatives(A, b, x):
    value = float(x @ A @ x + b @ x)
    S = 0.5 * (A + A.T)
    return value, S @ x + b, S
