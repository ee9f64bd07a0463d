#!/usr/bin/env python3
"""The app icon in every format a platform wants, from one SVG.

    python packaging/make_icons.py png          # SVG -> resources/icons/counsellor-app-<N>.png
    python packaging/make_icons.py ico OUT.ico  # PNGs -> Windows icon (Pillow)
    python packaging/make_icons.py icns OUT.icns  # PNGs -> macOS icon (Pillow)

The PNGs are committed (the window and the Linux desktop entry use them, and rendering
needs QtSvg, which the bundle does not otherwise need). The ICO and ICNS are made at build
time by the PyInstaller spec, so there is one source of truth and no binary to keep in step.
"""

from __future__ import annotations

import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "counsellor-app.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICON_DIR / f"counsellor-app-{size}.png"


def render_pngs() -> list[Path]:
    """Render the SVG at every size with Qt (QtSvg), antialiased, transparent corners."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            raise SystemExit(f"could not write {png_path(size)}")
        written.append(png_path(size))
    del app
    return written


def write_ico(target: Path) -> Path:
    """A Windows .ico holding 16 to 256 pixels (Explorer, taskbar, installer)."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    largest = Image.open(png_path(256))
    largest.save(target, format="ICO", sizes=[(s, s) for s in SIZES if s <= 256])
    return target


def write_icns(target: Path) -> Path:
    """A macOS .icns (Pillow writes it on any OS; no iconutil needed)."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    largest = Image.open(png_path(512))
    extra = [Image.open(png_path(s)) for s in (16, 32, 64, 128, 256)]
    largest.save(target, format="ICNS", append_images=extra)
    return target


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "png"
    if command == "png":
        for path in render_pngs():
            print(path)
        return 0
    if command in ("ico", "icns") and len(argv) == 2:
        print((write_ico if command == "ico" else write_icns)(Path(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
