"""The autoencoder of *Generative Deep Learning*, chapter 3, in PyTorch: the library under the
teaching dashboard. Importing it does no work: no download, no seeding, no printing."""

from .config import AEConfig, ConfigError
from .model import Autoencoder, load_model

__all__ = ["AEConfig", "ConfigError", "Autoencoder", "load_model"]
