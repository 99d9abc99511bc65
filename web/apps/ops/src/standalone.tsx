// An async boundary: the shared React singletons are negotiated before any of them is used.
import("./bootstrap");
