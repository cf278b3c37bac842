"""Beyond one device: data parallelism for the active Keras backend.

Data parallelism copies the model onto every device, splits each batch between them,
and averages the gradients, so a batch of 256 on 4 GPUs costs about what a batch of 64
costs on one. :func:`data_parallel` returns the right object for the backend; both
kinds are used the same way, as a scope around building, compiling and fitting::

    >>> strategy = data_parallel()                      # every GPU, else every CPU device
    >>> with strategy.scope():
    ...     model = sentiment_model()
    ...     model.compile(optimizer="adam", loss="binary_crossentropy")
    ...     model.fit(batches, epochs=3)                 # batch size: a multiple of replicas(strategy)

* JAX: ``keras.distribution.DataParallel`` over ``keras.distribution.list_devices()``.
* TensorFlow: ``tf.distribute.MirroredStrategy`` over the GPUs, or over the logical CPUs
  when there is no GPU.

On a machine without accelerators, ``XLA_FLAGS=--xla_force_host_platform_device_count=2``
(JAX, set before JAX is imported) or ``tf.config.set_logical_device_configuration``
(TensorFlow, before it is initialized) split the CPU into two devices, which is how the
tests exercise this module.
"""

from __future__ import annotations

from typing import Optional, Sequence


def _tf_devices() -> list[str]:
    import tensorflow as tf

    gpus = tf.config.list_logical_devices("GPU")
    return [d.name for d in (gpus or tf.config.list_logical_devices("CPU"))]


def data_parallel(devices: Optional[Sequence[str]] = None):
    """Return a data-parallel distribution for the active backend, to use as ``with x.scope():``.

    Args:
        devices: device names (JAX: ``"cpu:0"``, ``"gpu:1"``...; TensorFlow:
            ``"/device:GPU:0"``...), default every GPU, else every CPU device.

    Returns:
        ``keras.distribution.DataParallel`` under JAX, ``tf.distribute.MirroredStrategy``
        under TensorFlow. Both have ``.scope()``; :func:`replicas` counts their devices.

    Raises:
        NotImplementedError: for another backend (torch: use ``torchrun``).
        TypeError: ``devices`` is a single string, or holds something other than strings.
        ValueError: for an empty ``devices``.
    """
    import keras

    if devices is not None:
        if isinstance(devices, (str, bytes)):
            raise TypeError(f"devices must be a list of device names or None, got the str {devices!r}; "
                            f"wrap it in a list: [{devices!r}]")
        devices = list(devices)
        if not devices:
            raise ValueError(f"devices must be a non-empty list of device names or None, got {devices!r}; "
                             "pass None for every device")
        bad = next((d for d in devices if not isinstance(d, str)), None)
        if bad is not None:
            raise TypeError(f"devices must be a non-empty list of device names (str), got an element "
                            f"{type(bad).__name__} {bad!r}; pass names such as 'gpu:0' or '/device:GPU:0'")
    backend = keras.backend.backend()
    if backend == "jax":
        return keras.distribution.DataParallel(devices=devices or keras.distribution.list_devices())
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.distribute.MirroredStrategy(devices=devices or _tf_devices())
    raise NotImplementedError(f"data_parallel supports the jax and tensorflow backends, got {backend!r}")


def replicas(distribution) -> int:
    """Devices a :func:`data_parallel` result splits each batch over."""
    if hasattr(distribution, "num_replicas_in_sync"):
        return int(distribution.num_replicas_in_sync)
    mesh = getattr(distribution, "device_mesh", None)
    if mesh is not None:
        return int(len(mesh.devices.reshape(-1)))
    raise TypeError(f"expected a keras DataParallel or a tf.distribute strategy, got {type(distribution).__name__}")
