"""The article's network: its configuration, Keras-'same' layers, the autoencoder, its summary.

`AEConfig` holds the book's constructor arguments; `Autoencoder` builds the encoder and decoder
from it; `summary` prints them the way Keras does.
"""

from ae.model.autoencoder import Autoencoder, load_model
from ae.model.config import AEConfig, ConfigError

__all__ = ["AEConfig", "Autoencoder", "ConfigError", "load_model"]
