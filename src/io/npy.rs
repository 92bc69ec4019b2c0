//! Filter banks from NumPy `.npy` files (`[out][in][kernel]`, as PyTorch stores `Conv1d`).
