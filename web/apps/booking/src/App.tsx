import type { RemoteProps } from "@airline/ui";

export default function Booking(_: RemoteProps) {
  return <p>Booking</p>;
}
