// The scratchpad page: one try-it cell whose code is kept in this browser.
import { readJson } from "./plots.js";
import { mountTryCells } from "./tryit.js";

mountTryCells(readJson("scratch-config") || {});
