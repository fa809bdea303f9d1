"""The autoencoder of *Generative Deep Learning*, chapter 3, in PyTorch: the library under the
teaching dashboard. Importing it does no work: no download, no seeding, no printing."""

from ae.model import AEConfig, Autoencoder, ConfigError, load_model

__all__ = ["AEConfig", "ConfigError", "Autoencoder", "load_model"]
