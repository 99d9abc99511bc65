import { render, screen } from "@testing-library/react";
import { createApi } from "@airline/ui";
import App from "../App";

it("renders", () => {
  render(<App api={createApi()} session={null} route="" navigate={() => {}} />);
  expect(screen.getByText("Booking")).toBeInTheDocument();
});
