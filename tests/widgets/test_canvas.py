"""The explorer's pictures: the PNG writer (decoded by Pillow, the oracle) and the device-pixel scale."""

import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from aipm_sim.widgets._canvas import FigureImage, encode_png


def decode(png):
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG" and im.mode == "RGB"
        return np.asarray(im)


@given(hnp.arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.just(3))))
def test_png_decodes_to_the_same_pixels(rgb):
    assert np.array_equal(decode(encode_png(rgb)), rgb)


@pytest.mark.parametrize("scale", [1, 2])
def test_figure_png_is_lossless_and_scaled_in_device_pixels(scale):
    fig = FigureImage(figsize=(3.0, 2.0), dpi=96, name="t", pixel_scale=scale)
    ax = fig.figure.add_subplot()
    ax.plot([0, 1], [0, 1])
    fig.draw()
    fig.publish()
    pixels = decode(bytes(fig.image.value))
    assert pixels.shape == (2 * 96 * scale, 3 * 96 * scale, 3)
    assert np.array_equal(pixels, np.asarray(fig.canvas.buffer_rgba())[..., :3])
    assert fig.image.layout.width == "100%"  # shown at the page's width, whatever its pixels


def _text_figure(canvas_class):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.0, 3.0), dpi=96)
    canvas = canvas_class(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_title("Value per day (EUR) — ünïcode ✓")
    texts = [ax.text(0.05 + 0.11 * i, 0.1 * i + 0.013 * i, f"True positive\n1,{i:03d} cases\n12.3 % of all",
                     fontsize=6 + i, antialiased=i % 3 != 0) for i in range(8)]
    ax.text(0.5, 0.5, "rotated", rotation=30)
    ax.set_xlabel("threshold $x^2$")
    return fig, canvas, texts


def test_cached_text_gives_the_same_pixels_as_matplotlibs_agg():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from aipm_sim.widgets._canvas import _canvas_class

    assert _canvas_class() is not FigureCanvasAgg  # the cache is in use with this matplotlib
    plain, cached = _text_figure(FigureCanvasAgg), _text_figure(_canvas_class())
    for step in range(3):  # the second and third draws come from the caches
        for (_, _, texts) in (plain, cached):
            for i, t in enumerate(texts):
                t.set_text(f"step {step}\n{i * 1234:,} cases" if step else t.get_text())
        plain[1].draw()
        cached[1].draw()
        assert np.array_equal(np.asarray(plain[1].buffer_rgba()), np.asarray(cached[1].buffer_rgba()))
