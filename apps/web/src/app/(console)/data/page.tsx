import { redirect } from "next/navigation";

export default function DataIndex() {
  redirect("/data/imports");
}
