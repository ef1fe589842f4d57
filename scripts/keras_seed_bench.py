"""The seed notebook's Keras model and training (tied weights, dropout 0.5, Adam,
sparse categorical cross-entropy, batches of 32 cards padded to 256 as the seed feeds
them), timed on this machine: the Keras row of docs/benchmarks.md, side by side with
`cardlm bench train`.

Usage: python scripts/keras_seed_bench.py DIR [batches]
DIR holds the seed's xcards.npy and ycards.npy (`cardlm prepare ... --seed-npy DIR`).
Needs: pip install tf-keras numpy h5py (Keras 2 API, as the seed).
"""
import os
import sys
import time

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crates", "lm", "tests", "fixtures", "keras"))

import numpy as np  # noqa: E402
from make_keras_fixtures import seed_model  # noqa: E402  (the notebook's cells 5-6)

d = sys.argv[1]
batches = int(sys.argv[2]) if len(sys.argv) > 2 else 5
x = np.load(os.path.join(d, "xcards.npy"))
y = np.load(os.path.join(d, "ycards.npy"))
vocab = int(max(x.max(), y.max())) + 1
B, L = 32, x.shape[1]
model, _ = seed_model(vocab, 500, L, "sigmoid")
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
print("params", model.count_params())
model.train_on_batch(x[:B], y[:B])  # warm-up: graph building
t = time.perf_counter()
for i in range(1, batches + 1):
    model.train_on_batch(x[i * B:(i + 1) * B], y[i * B:(i + 1) * B])
dt = (time.perf_counter() - t) / batches
print(f"keras train: {dt:.3f} s/batch of {B}x{L}; {B * L / dt:.0f} padded positions/s; "
      f"epoch of {len(x)} cards ~ {dt * len(x) / B / 60:.1f} min")
