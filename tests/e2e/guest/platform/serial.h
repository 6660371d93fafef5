// COM1 (0x3F8) as the guest console: 115200 8N1, polled transmit and receive, no interrupts (IRQ4
// stays masked). The harness answers READY markers on the receive side.
#pragma once

#include <stddef.h>

namespace aero::guest {

void serial_init();
void serial_write(const char* data, size_t len);
void serial_write(const char* text);
// Takes one received byte if the UART has one (polled; the receive interrupt stays off).
bool serial_read_byte(char* out);

}  // namespace aero::guest
