/**
 * Data: IDX files (MNIST, Fashion-MNIST: {@link org.diffusionplayground.model.data.IdxReader},
 * {@link org.diffusionplayground.model.data.MnistDataset}, {@link
 * org.diffusionplayground.model.data.DatasetFolder}), the labelled examples an objective trains on
 * ({@link org.diffusionplayground.model.data.TrainingSet}: images or points), and NPY / PNG writers
 * ({@link org.diffusionplayground.model.data.Npy}, {@link org.diffusionplayground.model.data.DigitImages}).
 */
package org.diffusionplayground.model.data;
