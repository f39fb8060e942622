// Binds the libc functions the CUDA launcher needs to their symbol versions of glibc 2.17 and older, so the library
// loads on every glibc >= 2.17 although it is built against a newer one (glibc 2.34 moved dlopen, dlsym, dlerror,
// dlclose and pthread_once into libc under GLIBC_2.34; the old versions are still exported, by libdl/libpthread before 2.34
// and by libc since). Include before any use of these functions.
#pragma once

#if defined(__x86_64__)
#define MAMBAIR_GLIBC_FLOOR "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define MAMBAIR_GLIBC_FLOOR "GLIBC_2.17"
#else
#error "unsupported architecture"
#endif

__asm__(".symver dlopen,dlopen@" MAMBAIR_GLIBC_FLOOR);
__asm__(".symver dlsym,dlsym@" MAMBAIR_GLIBC_FLOOR);
__asm__(".symver dlerror,dlerror@" MAMBAIR_GLIBC_FLOOR);
__asm__(".symver dlclose,dlclose@" MAMBAIR_GLIBC_FLOOR);
__asm__(".symver pthread_once,pthread_once@" MAMBAIR_GLIBC_FLOOR);
