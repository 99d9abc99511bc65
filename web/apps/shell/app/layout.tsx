import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { css } from "@airline/ui";

export const metadata: Metadata = { title: "Airline", description: "Book, fly and run the airline." };
export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0b4f8a" };

// System fonts only: the build runs without network (no next/font/google).
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <style id="airline-ui-styles" dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
