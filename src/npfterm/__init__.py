"""npfterm: Chinese–English sentence alignment and terminology, offline.

Importing the package is cheap on purpose: heavy modules (jieba, numpy, the
sentence encoder, the dictionary) load lazily inside the functions that need
them, so `npfterm --help` and `npfterm lookup` start fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
