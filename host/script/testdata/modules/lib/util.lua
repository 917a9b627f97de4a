-- A helper module for require tests.
local M = { answer = 42 }
local loads = (M.loads_count or 0) + 1
function M.loads() return loads end
return M
