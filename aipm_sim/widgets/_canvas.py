"""A matplotlib figure shown as a PNG in an ``ipywidgets.Image``, redrawn in place.

Why not ipympl: importing ``ipympl`` switches the process-wide matplotlib
backend (so the notebook's own inline plots change behaviour), ipympl 0.10
emits a traitlets DeprecationWarning for every figure, and the kernel-side
work per frame is the same either way (an Agg render plus a PNG). Here each
figure is a plain :class:`matplotlib.figure.Figure` on an Agg canvas (no
pyplot registry, no backend switch), and the PNG goes into a core ipywidgets
``Image``, which JupyterLab 4 and Voilà render with the widget manager alone.
While the kernel is busy the browser's widget manager sends only the latest
slider value, so slider drags do not queue up.

A threshold move redraws only the artists that move (blitting): the rest of
the figure is rendered once into a background that is restored before the
moving artists are drawn on top. Everything else (new value model, new
constraints, new curve) redraws the whole figure, and so does a move that
changed a legend (an artist appeared or disappeared, so the legend in the
background is stale).
"""

from __future__ import annotations

import functools
import struct
import zlib

import numpy as np

#: zlib level of the PNGs: 1 is several times faster than the default 6 at about the same size.
PNG_COMPRESS_LEVEL = 1
#: Device pixels per CSS pixel of the PNGs (2 would be sharp on HiDPI screens; see the README's
#: Performance section for what it costs per slider move).
PIXEL_SCALE = 1
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# -- text: matplotlib 3.11's Agg renders every glyph anew (FreeType shaping and rasterising, one
# Python call per glyph), which made the confusion table's four texts most of a slider move.
# The cached renderer keeps each line's shaping and each glyph's bitmap at its sub-pixel offset,
# and draws them with Agg's own call: the pixels are identical (a test compares them).
_LAYOUTS = {}
_GLYPHS = {}
_CACHE_LIMIT = 50_000


def _clear_text_caches():
    _LAYOUTS.clear()
    _GLYPHS.clear()


def _text_cache_supported():
    """True when matplotlib's Agg text path is the one this cache reproduces (matplotlib >= 3.11)."""
    from matplotlib.backends import backend_agg
    from matplotlib.ft2font import FT2Font
    from matplotlib.text import Text

    return (all(hasattr(FT2Font, a) for a in ("_layout", "_render_glyph", "_set_transform"))
            and hasattr(backend_agg.RendererAgg, "_prepare_font")
            and all(hasattr(Text, a) for a in ("get_fontfeatures", "get_language")))


def _cached_draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """RendererAgg.draw_text for plain, unrotated text, from cached layouts and glyph bitmaps."""
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
    from matplotlib.ft2font import RenderMode

    if ismath or angle != 0:
        return RendererAgg.draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
    flags = get_hinting_flag()
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    features = tuple(features) if features is not None else None
    size = prop.get_size_in_points()
    key = (str(prop), prop.get_file(), s, self.dpi, flags, features, language)
    layout = _LAYOUTS.get(key)
    if layout is None:
        font = self._prepare_font(prop)
        items = font._layout(s, flags=flags, features=features, language=language)
        layout = [(item.ft_object, item.glyph_index, item.x, item.y) for item in items]
        if len(_LAYOUTS) > _CACHE_LIMIT:
            _clear_text_caches()
        _LAYOUTS[key] = layout
    antialiased = gc.get_antialiased()
    height = self.height
    identity = np.array([[0x10000, 0], [0, 0x10000]])
    for ft, glyph, dx, dy in layout:  # dy is upwards
        tx = round(0x40 * (x + dx))
        ty = round(0x40 * (height - y + dy))  # FreeType's y is upwards
        # id(ft): the cached layouts keep their font objects alive, and both caches clear together.
        gkey = (id(ft), ft.fname, size, self.dpi, glyph, tx & 0x3F, ty & 0x3F, flags, antialiased)
        hit = _GLYPHS.get(gkey)
        if hit is None:
            ft.set_size(size, self.dpi)
            ft._set_transform(identity, [tx & 0x3F, ty & 0x3F])
            bitmap = ft._render_glyph(glyph, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
            buffer = np.array(bitmap.buffer)
            if not antialiased:
                buffer *= 0xFF
            if len(_GLYPHS) > _CACHE_LIMIT:
                _clear_text_caches()
            hit = _GLYPHS[gkey] = (buffer, bitmap.left, bitmap.top)
        buffer, left, top = hit
        # draw_text_image's y is downwards and the bitmap's bottom side.
        self._renderer.draw_text_image(buffer, left + (tx >> 6), int(height) - (top + (ty >> 6)) + buffer.shape[0],
                                       0, gc)
    return None


@functools.cache
def _canvas_class():
    """FigureCanvasAgg whose renderer draws plain text from the caches (plain Agg if unsupported)."""
    import types

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not _text_cache_supported():
        return FigureCanvasAgg

    class CachedTextCanvas(FigureCanvasAgg):
        def get_renderer(self):
            renderer = super().get_renderer()
            if getattr(renderer, "_aipm_cached_text", None) is not True:
                renderer.draw_text = types.MethodType(_cached_draw_text, renderer)
                renderer._aipm_cached_text = True
            return renderer

    return CachedTextCanvas


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(rgb, *, level=PNG_COMPRESS_LEVEL):
    """Lossless PNG bytes of an ``(h, w, 3)`` uint8 array, written without per-row filter search.

    Each scanline gets filter type 0 (None) and the whole image one zlib
    stream: on charts (flat colours, long runs) this is about as small as
    Pillow's adaptive filtering at the same zlib level and about 4x faster to
    write, which is most of a slider move's encoding time.
    """
    h, w, _ = rgb.shape
    raw = np.empty((h, 3 * w + 1), dtype=np.uint8)
    raw[:, 0] = 0  # filter type None
    raw[:, 1:] = rgb.reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (_PNG_SIGNATURE + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(raw.data, level)) + _png_chunk(b"IEND", b""))


class FigureImage:
    """One figure, its displays and the Image widget that shows it.

    Parameters
    ----------
    figsize : (float, float)
        Inches.
    dpi : float
        CSS pixels per inch; the PNG has ``dpi * pixel_scale`` device pixels per inch.
    pixel_scale : float, optional
        Device pixels per CSS pixel (default :data:`PIXEL_SCALE`); the image is
        shown at the same size either way (its width follows the page).
    name : str
        Used in the widget's CSS classes ``aipm-figure`` and ``aipm-figure-NAME``.
    margins : (left, right, bottom, top), optional
        Space around the axes, in inches.
    """

    def __init__(self, *, figsize, dpi, name, margins=None, pixel_scale=None):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        self.name = name
        # Fixed margins (inches) instead of a layout engine: constrained layout
        # would cost as much as drawing the figure itself on every full redraw.
        self.pixel_scale = PIXEL_SCALE if pixel_scale is None else pixel_scale
        self.figure = Figure(figsize=figsize, dpi=dpi * self.pixel_scale)
        left, right, bottom, top = margins or (0.8, 0.15, 0.55, 0.35)
        w, h = figsize
        self.figure.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h, top=1 - top / h)
        self.canvas = _canvas_class()(self.figure)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", height="auto"))
        self.image.add_class("aipm-figure")
        self.image.add_class(f"aipm-figure-{name}")
        self.displays = []
        self._background = None
        self._legends = ()  # the axes' legends in the background
        self.renders = 0  # full renders, for tests and benchmarks

    def add_display(self, display):
        self.displays.append(display)
        return display

    def moving_artists(self):
        return [a for d in self.displays for a in d.moving_artists_]

    def draw(self, *, full=True):
        """Render the figure on its Agg canvas (not encoded; see :meth:`publish`).

        ``full=False`` restores the cached background and draws only the
        moving artists; it falls back to a full render when there is no
        background yet or when a legend was rebuilt since the last one.
        """
        moving = self.moving_artists()
        if full or self._background is None or self._legends_changed():
            # Animated only during this render, so that the background leaves them out;
            # reset at once so that legends built later copy a normal artist.
            for a in moving:
                a.set_animated(True)
            try:
                self.canvas.draw()
            finally:
                for a in moving:
                    a.set_animated(False)
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._legends = self._current_legends()
            self.renders += 1
        else:
            self.canvas.restore_region(self._background)
        for a in moving:
            if a.get_visible():
                self.figure.draw_artist(a)

    def _current_legends(self):
        """Every axes' legend object (displays rebuild a legend only when its entries change)."""
        return tuple(ax.get_legend() for ax in self.figure.axes)

    def _legends_changed(self):
        now = self._current_legends()
        return len(now) != len(self._legends) or any(a is not b for a, b in zip(now, self._legends))

    def png(self):
        """The canvas' current pixels as PNG bytes (lossless; see :func:`encode_png`)."""
        return encode_png(np.asarray(self.canvas.buffer_rgba())[..., :3])

    def publish(self):
        """Send the current pixels to the Image widget."""
        self.image.value = self.png()
