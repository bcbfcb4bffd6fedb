"""Code shipped with the model."""


def add_one(x):
    return x + 1
