// COM1 (0x3F8) as the guest console: 115200 8N1, polled transmit, no interrupts (IRQ4 stays masked).
#pragma once

#include <stddef.h>

namespace aero::guest {

void serial_init();
void serial_write(const char* data, size_t len);
void serial_write(const char* text);

}  // namespace aero::guest
