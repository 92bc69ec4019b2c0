//! An independently written 1-D convolutional layer (weights `[out][in][kernel]`, circular
//! padding, bias, ReLU), to check that the CNN forward pass is layered thresholding.
