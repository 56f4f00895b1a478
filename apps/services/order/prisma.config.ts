import { servicePrismaConfig } from "@microshop/build-config/prisma";

export default servicePrismaConfig("order");
