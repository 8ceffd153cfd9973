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
