#!/bin/bash
# Sign the .app and put it in a compressed disk image with a link to /Applications.
#
#   packaging/macos/make_dmg.sh dist/CounsellorsNotebook.app dist/CounsellorsNotebook-0.1.0-macos.dmg
#
# Without CODESIGN_IDENTITY the app is signed ad hoc ("-"): it runs on the Mac that built
# it, and elsewhere after right-click > Open (Gatekeeper warns, as for any unnotarised
# app). With a "Developer ID Application: ..." identity in CODESIGN_IDENTITY it is signed
# with the hardened runtime, ready for notarisation (see the README, "Packaging").
set -euo pipefail
app=${1:?the .app to package}
dmg=${2:?the .dmg to write}
identity=${CODESIGN_IDENTITY:--}
here=$(cd "$(dirname "$0")" && pwd)

if [ "$identity" = "-" ]; then
    codesign --force --deep --sign - "$app"
else
    # Inside out, every binary, then the bundle; the hardened runtime is needed for
    # notarisation, and the entitlements let cffi and Qt run under it.
    find "$app/Contents" -type f -print0 | while IFS= read -r -d '' file; do
        if file -b "$file" | grep -q "Mach-O"; then
            codesign --force --timestamp --options runtime \
                --entitlements "$here/entitlements.plist" --sign "$identity" "$file"
        fi
    done
    codesign --force --timestamp --options runtime \
        --entitlements "$here/entitlements.plist" --sign "$identity" "$app"
fi
codesign --verify --deep --strict --verbose=2 "$app"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "Counsellor's Notebook" -srcfolder "$staging" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 "$dmg"
if [ "$identity" != "-" ]; then
    codesign --force --timestamp --sign "$identity" "$dmg"
fi
echo "$dmg"
