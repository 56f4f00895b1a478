import { productImageSvg } from "@microshop/seed-data/images";
import { svgResponse } from "~/lib/svg-response";

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  return svgResponse((await params).file, productImageSvg);
}
