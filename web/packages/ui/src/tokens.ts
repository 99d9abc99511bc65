/** Design tokens: the one source of colour, type and spacing for every app and remote. */
export const tokens = {
  color: {
    ink: "#0f1f33",
    inkSoft: "#44546a",
    muted: "#56657a", // 4.5:1 or more on every light surface (WCAG AA, axe in the browser tests)
    line: "#d9e1ea",
    surface: "#ffffff",
    canvas: "#f3f6f9",
    brand: "#0b4f8a",
    brandStrong: "#083a66",
    brandSoft: "#e3eef8",
    accent: "#e0a526",
    success: "#1d7a4d",
    successSoft: "#e2f4ea",
    warning: "#945600", // 5.3:1 on warningSoft (a badge, an alert)
    warningSoft: "#fff3dc",
    danger: "#b42335",
    dangerSoft: "#fbe6e8",
    boardBg: "#07121f",
    boardRow: "#0d1d31",
    boardText: "#f4f7fb",
    boardAmber: "#ffc043",
  },
  font: {
    sans: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
    mono: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
  },
  space: { 1: "4px", 2: "8px", 3: "12px", 4: "16px", 5: "24px", 6: "32px", 7: "48px" },
  radius: { sm: "6px", md: "10px", lg: "16px" },
  shadow: "0 1px 2px rgba(15,31,51,.06), 0 4px 16px rgba(15,31,51,.06)",
} as const;

export type Tokens = typeof tokens;
