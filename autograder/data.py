"""Fashion-MNIST on this machine: the Keras cache, filled from Debian's package when offline."""

from __future__ import annotations

import functools
import gzip
import os
import shutil
from pathlib import Path

import numpy as np

DEBIAN_DATASET = Path("/usr/share/datasets/fashion-mnist")
FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
# The ten labels in order (the contract's CLASS_NAMES).
CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
IDX_IMAGE_HEADER = 16  # bytes before the pixels in an idx3-ubyte file


def keras_home() -> Path:
    """Where Keras caches data sets: $KERAS_HOME, else ~/.keras."""
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))


def dataset_dir(home: Path | None = None) -> Path:
    """The folder Keras reads Fashion-MNIST from."""
    return (home or keras_home()) / "datasets" / "fashion-mnist"


def install_from_debian(home: Path | None = None, source: Path = DEBIAN_DATASET) -> bool:
    """Copy the Debian package's files into the Keras cache; False if they are not there."""
    target = dataset_dir(home)
    if all((target / name).exists() for name in FILES):
        return True
    if not all((source / name).exists() for name in FILES):
        return False
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(source / name, target / name)
    return True


def copy_cache_into(home: Path) -> None:
    """Give a sandbox its own writable Keras cache holding the data set (a copy, not a link).

    The grader's own cache is filled once per batch (``autograder.grade.staging.stage``)."""
    target = dataset_dir(home)
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        source = dataset_dir() / name
        if source.exists():
            shutil.copyfile(source, target / name)


@functools.lru_cache(maxsize=1)
def test_images() -> np.ndarray | None:
    """The 10,000 held-out test images (uint8, 28x28) from the Keras cache, read as Keras
    reads them but without importing TensorFlow; None when the cache does not hold them."""
    try:
        with gzip.open(dataset_dir() / "t10k-images-idx3-ubyte.gz", "rb") as stream:
            raw = stream.read()
    except OSError:
        return None
    pixels = np.frombuffer(raw, np.uint8, offset=IDX_IMAGE_HEADER)
    return pixels.reshape(-1, 28, 28) if pixels.size % (28 * 28) == 0 else None


def main() -> int:
    """``python -m autograder.data``: fill the Keras cache from Debian's package if present."""
    if install_from_debian():
        print(f"Fashion-MNIST: {dataset_dir()}")
    else:
        print("Fashion-MNIST: not cached; Keras will download it on first use")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
