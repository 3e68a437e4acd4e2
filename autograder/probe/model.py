"""Probes of Part 1: normalize, build_model, compile_model, predict_labels."""

from __future__ import annotations

from typing import Any

from autograder.probe.harness import ProbeContext, call, lookup
from autograder.samples import pixel_images, test_slice


def probe_normalize(ctx: ProbeContext) -> dict[str, Any]:
    """Call normalize on seeded images; save what it returns and whether the input changed."""
    normalize, missing = lookup(ctx, "normalize")
    if missing:
        return {"error": missing}
    images = pixel_images(ctx.settings["seed"])
    result = call(ctx, normalize, images)
    data: dict[str, Any] = {"error": result["error"], "output": result["output"]}
    if result["ok"]:
        data["returned"] = ctx.save_array("normalized", result["value"])
        # The judge compares the input as it is now with the images it generated itself.
        data["input_after"] = ctx.save_array("input_after", images)
    return data


def describe_model(model: Any) -> dict[str, Any]:
    """A Keras model as plain data: type, input shape, layers, compiled or not."""
    import tensorflow as tf

    info: dict[str, Any] = {
        "type": type(model).__name__,
        "is_sequential": isinstance(model, tf.keras.Sequential),
        "is_model": isinstance(model, tf.keras.Model),
    }
    if not info["is_model"]:
        return info
    info["compiled"] = bool(getattr(model, "compiled", False))
    try:
        info["input_shape"] = list(model.input_shape)
    except Exception:  # noqa: BLE001 - a model without an Input has no input shape
        info["input_shape"] = None
    layers = []
    for layer in model.layers:
        config = layer.get_config()
        activation = config.get("activation")
        try:
            output_shape = list(layer.output.shape)
        except Exception:  # noqa: BLE001 - unbuilt layers have no output yet
            output_shape = None
        layers.append(
            {
                "class": type(layer).__name__,
                "units": config.get("units"),
                "activation": activation if isinstance(activation, str) else None,
                "output_shape": output_shape,
            }
        )
    info["layers"] = layers
    return info


def probe_build_model(ctx: ProbeContext) -> dict[str, Any]:
    """Build with the default and with an unseen ``hidden_units``; describe both models."""
    build_model, missing = lookup(ctx, "build_model")
    if missing:
        return {"error": missing}
    data: dict[str, Any] = {"error": None, "builds": []}
    for units in (None, ctx.settings["hidden_units_probe"]):
        result = call(ctx, build_model) if units is None else call(ctx, build_model, units)
        entry: dict[str, Any] = {"hidden_units": units, "error": result["error"]}
        if result["ok"]:
            entry["model"] = describe_model(result["value"])
        data["builds"].append(entry)
    return data


def load_reference(ctx: ProbeContext, name: str) -> Any:
    """A reference model the grader saved for this probe (independent of the student's)."""
    import tensorflow as tf

    return tf.keras.models.load_model(ctx.inputs_dir / name, safe_mode=True)


def probe_compile_model(ctx: ProbeContext) -> dict[str, Any]:
    """Compile a reference model with the student's compile_model; report its settings."""
    compile_model, missing = lookup(ctx, "compile_model")
    if missing:
        return {"error": missing}
    model = load_reference(ctx, "reference_uncompiled.keras")
    result = call(ctx, compile_model, model)
    data: dict[str, Any] = {"error": result["error"]}
    if not result["ok"]:
        return data
    data["returned_same"] = result["value"] is model
    data["compiled"] = bool(getattr(model, "compiled", False))
    if data["compiled"]:
        config = model.get_compile_config() or {}
        optimizer = config.get("optimizer")
        if isinstance(optimizer, dict):
            optimizer = optimizer.get("class_name")
        data["optimizer"] = optimizer if isinstance(optimizer, str) else type(optimizer).__name__
        data["loss"] = _name_of(config.get("loss"))
        data["from_logits"] = _from_logits(config.get("loss"))
        metrics = config.get("metrics") or []
        if not isinstance(metrics, (list, tuple)):
            metrics = [metrics]
        data["metrics"] = [_name_of(metric) for metric in metrics]
    return data


def _name_of(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        config = value.get("config")
        if isinstance(config, str):
            return config
        if isinstance(config, dict) and isinstance(config.get("name"), str):
            return config["name"]
        return str(value.get("class_name"))
    return getattr(value, "name", None) or getattr(value, "__name__", type(value).__name__)


def _from_logits(value: Any) -> bool:
    if isinstance(value, dict):
        return bool((value.get("config") or {}).get("from_logits", False))
    return bool(getattr(value, "from_logits", False))


def probe_predict_labels(ctx: ProbeContext) -> dict[str, Any]:
    """Predict held-out images with a reference model; save what comes back."""
    predict_labels, missing = lookup(ctx, "predict_labels")
    if missing:
        return {"error": missing}
    model = load_reference(ctx, "reference_trained.keras")
    images, _ = test_slice(ctx.settings["predict_images"])
    result = call(ctx, predict_labels, model, images / 255.0)
    data: dict[str, Any] = {"error": result["error"]}
    if result["ok"]:
        data["returned"] = ctx.save_array("predicted", result["value"])
    return data
