#!/bin/sh
# Records the golden port-E9h output of each test program under Bochs 2.7 (Debian bochs,
# bochsbios, vgabios) into NAME.golden, and under QEMU (Debian qemu-system-x86 7.2) into
# NAME.qemu for comparison. Usage: ./record-golden.sh pm-rings [pm-paging ...]
# Each binary is rebuilt with nasm first. The image is padded to one 16-head, 63-sector
# cylinder so both BIOSes see a valid hard disk; the boot sector loads the rest by int 13h.
set -e
cd "$(dirname "$0")"
for name in "$@"; do
  nasm -f bin -o "$name.bin" "$name.asm"
  img=$(mktemp /tmp/vmlab-XXXXXX.img)
  cp "$name.bin" "$img"
  truncate -s 516096 "$img"
  rc=$(mktemp /tmp/bochsrc-XXXXXX)
  cat > "$rc" <<RC
megs: 32
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=disk, path=$img, mode=flat, cylinders=1, heads=16, spt=63
boot: disk
display_library: rfb, options="timeout=0"
port_e9_hack: enabled=1
log: /dev/null
clock: sync=none
speaker: enabled=0
sound: driver=dummy
plugin_ctrl: speaker=0
RC
  # Bochs prints its banner and debugger prompt on stdout too: keep what follows the
  # prompt that received "c" up to Bochs' exit message.
  echo c | timeout 60 bochs -q -f "$rc" 2>/dev/null \
    | awk '/^Bochs is exiting/{exit} /^\(0\)\./{next} go{print} /^<bochs:1>/{go=1}' > "$name.golden" || true
  timeout 60 qemu-system-i386 -nographic -no-reboot -monitor none -serial none \
    -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -drive file="$img",format=raw,if=ide,snapshot=on > "$name.qemu" || true
  rm -f "$img" "$rc"
  if cmp -s "$name.golden" "$name.qemu"; then echo "$name: Bochs and QEMU agree"; else echo "$name: Bochs and QEMU DIFFER"; fi
done
