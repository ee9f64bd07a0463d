#!/bin/sh
# Install (or update) Counsellor's Notebook for the current user, without root:
#   ./install.sh            from inside the unpacked counsellor-app folder
#   ./install.sh --remove   to uninstall (your notebooks are kept)
# The program goes to ~/.local/lib/counsellor-app, a link to ~/.local/bin, the menu entry
# and the icon to ~/.local/share. Notebooks live in ~/.local/share/CounsellorsNotebook
# and are never touched by this script.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
lib=$HOME/.local/lib/counsellor-app
bin=$HOME/.local/bin

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$lib"
    rm -f "$bin/counsellor-app" "$data/applications/counsellor-app.desktop" \
        "$data/icons/hicolor/256x256/apps/counsellor-app.png"
    echo "Counsellor's Notebook was removed (notebooks in $data/CounsellorsNotebook are kept)."
    exit 0
fi

[ -x "$here/counsellor-app" ] || { echo "run this from the unpacked counsellor-app folder" >&2; exit 1; }
mkdir -p "$lib" "$bin" "$data/applications" "$data/icons/hicolor/256x256/apps"
if [ "$here" != "$lib" ]; then
    rm -rf "$lib"
    cp -R "$here" "$lib"
fi
ln -sf "$lib/counsellor-app" "$bin/counsellor-app"
sed "s|^Exec=.*|Exec=$lib/counsellor-app|" "$here/counsellor-app.desktop" \
    > "$data/applications/counsellor-app.desktop"
cp "$here/counsellor-app.png" "$data/icons/hicolor/256x256/apps/counsellor-app.png"
command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database "$data/applications" >/dev/null 2>&1 || true
echo "Installed: $lib (start it from the menu, or run counsellor-app)."
echo "It needs the X11 libraries of Qt: sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0"
