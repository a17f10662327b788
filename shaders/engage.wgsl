// filled in by the kernel port
