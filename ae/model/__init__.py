"""The article's network: its configuration, Keras-'same' layers, the autoencoder and the
variational autoencoder, their summary.

`AEConfig` holds the book's constructor arguments (and the kind); `Autoencoder` and
`VariationalAutoencoder` build the encoder and decoder from it; `summary` prints them the way
Keras does. Importing this package registers both kinds for `kinds.build` and the checkpoint.
"""

from ae.model.autoencoder import Autoencoder, load_model
from ae.model.config import AEConfig, ConfigError
from ae.model.vae import VariationalAutoencoder

__all__ = ["AEConfig", "Autoencoder", "ConfigError", "VariationalAutoencoder", "load_model"]
