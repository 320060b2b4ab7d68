/*
 * A minimal hsdis plug-in for HotSpot on x86-64, built on the Capstone disassembler, so that
 * -XX:+PrintAssembly shows the machine code C2 makes of the Vector API kernels (JDK builds ship no hsdis, and
 * Debian's binutils-based one does not load into JDK 25). HotSpot calls decode_instructions_virtual for each
 * code range and expects the "insn" / "/insn" events around every instruction. See bench/hsdis/README.md.
 */
#include <stdint.h>
#include <capstone/capstone.h>

typedef void *(*event_callback)(void *, const char *, void *);
typedef int (*printf_callback)(void *, const char *, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  event_callback event, void *event_stream, printf_callback print,
                                  void *print_stream, const char *options, int newline) {
  csh handle;
  cs_insn *insn;
  (void) options;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
    return NULL;
  }
  size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insn);
  for (size_t i = 0; i < count; i++) {
    event(event_stream, "insn", (void *) (uintptr_t) insn[i].address);
    print(print_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
    event(event_stream, "/insn", (void *) (uintptr_t) (insn[i].address + insn[i].size));
    if (newline) {
      print(print_stream, "\n");
    }
  }
  if (count > 0) {
    cs_free(insn, count);
  }
  cs_close(&handle);
  return (void *) end_va;
}
