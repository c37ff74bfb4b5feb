-- Like count.lua, but each request asks for the next path of a file (one path
-- a line, given after `--`), round-robin, with the command line's headers.
-- Used for the aggregated endpoint, so that concurrent requests rarely ask for
-- the same product and no gateway can answer many with one upstream call.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "count.lua")

local requests = {}
local next_index = 0

function init(args)
  local path = args[1]
  if path == nil then
    error("rotate-paths.lua needs the path file: wrk ... -- <file>")
  end
  for line in io.lines(path) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format(nil, line)
    end
  end
  if #requests == 0 then
    error("no paths in " .. path)
  end
  -- Go on where the previous run stopped (args[2], 0-based), not from the top.
  next_index = (tonumber(args[2]) or 0) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
