# diagnosis: symmetric-shortcut


def quadratic_derivatives(A, b, x):
    value = float(x @ A @ x + b @ x)
    return value, 2 * A @ x + b, 2 * A
