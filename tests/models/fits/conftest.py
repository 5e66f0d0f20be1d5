import os

os.environ.setdefault("PYTENSOR_FLAGS", "blas__ldflags=")
