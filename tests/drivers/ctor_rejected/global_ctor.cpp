// A global object with a constructor: what cmake/check_link_map.cmake must reject in kernel images.
struct S {
  S();
  int v;
};
volatile int g;
S::S() : v(g) {
  g = 1;
}
S s;
extern "C" int __attribute__((stdcall)) DriverEntry(void*, void*) {
  return s.v;
}
