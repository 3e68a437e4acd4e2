"""The data set loader, on small synthetic files (the real data is used by the grading tests)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder import data


def fake_debian_package(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in data.FILES:
        with gzip.open(folder / name, "wb") as handle:
            handle.write(name.encode())
    return folder


def test_install_copies_the_four_files_into_the_keras_cache(tmp_path: Path) -> None:
    source = fake_debian_package(tmp_path / "debian")
    assert data.install_from_debian(tmp_path / "keras", source)
    for name in data.FILES:
        copied = tmp_path / "keras" / "datasets" / "fashion-mnist" / name
        assert copied.read_bytes() == (source / name).read_bytes()


def test_install_says_false_when_the_package_is_absent(tmp_path: Path) -> None:
    assert not data.install_from_debian(tmp_path / "keras", tmp_path / "missing")


def test_a_sandbox_gets_a_copy_not_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    data.install_from_debian(source=fake_debian_package(tmp_path / "debian"))
    data.copy_cache_into(tmp_path / "sandbox")
    copied = tmp_path / "sandbox" / "datasets" / "fashion-mnist" / data.FILES[0]
    assert not copied.is_symlink()
    assert copied.stat().st_ino != (data.dataset_dir() / data.FILES[0]).stat().st_ino


def test_keras_reads_the_cache_without_downloading(tmp_path: Path) -> None:
    """Synthetic IDX files in $KERAS_HOME are what Keras loads (it reads KERAS_HOME when first
    imported, hence a fresh interpreter); with no network, any download attempt would fail."""
    folder = tmp_path / "keras" / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    labels = np.array([3, 7], dtype=np.uint8)
    for prefix in ("train", "t10k"):
        with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz", "wb") as handle:
            handle.write(b"\0" * 16 + images.tobytes())
        with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz", "wb") as handle:
            handle.write(b"\0" * 8 + labels.tobytes())
    script = (
        "import keras, numpy as np\n"
        "keras.utils.get_file.__globals__['urlretrieve'] = None  # any download would crash\n"
        "(x, y), _ = keras.datasets.fashion_mnist.load_data()\n"
        "print(x.shape, int(x[1, 27, 27]), list(map(int, y)))\n"
    )
    env = dict(os.environ, KERAS_HOME=str(tmp_path / "keras"), TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"(2, 28, 28) {int(images[1, 27, 27])} [3, 7]"


def test_test_images_are_read_from_the_keras_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    data.test_images.cache_clear()
    try:
        assert data.test_images() is None  # not cached: no picture, no crash
        data.test_images.cache_clear()
        folder = data.dataset_dir()
        folder.mkdir(parents=True)
        pixels = np.arange(2 * 28 * 28, dtype=np.uint32).astype(np.uint8).reshape(2, 28, 28)
        with gzip.open(folder / "t10k-images-idx3-ubyte.gz", "wb") as handle:
            handle.write(b"\0" * data.IDX_IMAGE_HEADER + pixels.tobytes())
        assert np.array_equal(data.test_images(), pixels)
    finally:
        data.test_images.cache_clear()
