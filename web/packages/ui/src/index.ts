export * from "./tokens";
export * from "./styles";
export * from "./money";
export * from "./api";
export * from "./sse";
export * from "./components";
export * from "./remote";
export * from "./attempt";
