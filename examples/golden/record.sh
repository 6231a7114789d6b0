#!/bin/sh
# Records an example's golden output under QEMU: COM1 to NAME.serial.txt, the VGA text screen
# (dumped through the monitor once the guest has had time to finish) to NAME.screen.txt.
# Usage: examples/golden/record.sh NAME [SECONDS]   (needs nasm, qemu-system-i386, python3)
# Recorded with Debian's qemu-system-i386 (QEMU 7.2, SeaBIOS) as:
#   qemu-system-i386 -display none -no-reboot -m 256 -monitor stdio \
#     -serial file:serial.txt -drive file=NAME.img,format=raw,if=ide,snapshot=on
set -eu
name=$1
wait=${2:-3}
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nasm -f bin -o "$tmp/$name.img" "$dir/../$name.asm"
cp "$tmp/$name.img" "$dir/$name.bin"
{ sleep "$wait"; echo "pmemsave 0xb8000 4000 \"$tmp/vga.bin\""; sleep 1; echo quit; } |
  qemu-system-i386 -display none -no-reboot -m 256 -monitor stdio \
    -serial "file:$tmp/serial.txt" \
    -drive "file=$tmp/$name.img,format=raw,if=ide,snapshot=on" >/dev/null
cp "$tmp/serial.txt" "$dir/$name.serial.txt"
python3 - "$tmp/vga.bin" >"$dir/$name.screen.txt" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
for row in range(25):
    cells = data[row * 160:(row + 1) * 160:2]
    print(''.join(chr(c) if 32 <= c < 127 else ('.' if c else ' ') for c in cells).rstrip())
PY
echo "recorded $dir/$name.serial.txt and $dir/$name.screen.txt"
