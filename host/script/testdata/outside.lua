-- A file outside the module directory; require must not reach it.
return { secret = true }
