local M = {}
error("module refuses to load")
return M
