import { Shell } from "../src/Shell";

export default function Page() {
  return <Shell />;
}
