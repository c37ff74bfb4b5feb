-- Like count.lua, but every request carries the next bearer token of a file
-- (one token a line, given after `--`, then the 0-based index to start at),
-- round-robin across all connections of
-- the thread. Run with one wrk thread: a token then comes back only after all
-- the others, so with more tokens than the gateway's verified-token cache
-- holds, every request needs a full signature check.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "count.lua")

local requests = {}
local next_index = 0

function init(args)
  local path = args[1]
  if path == nil then
    error("rotate-tokens.lua needs the token file: wrk ... -- <file>")
  end
  for token in io.lines(path) do
    if token ~= "" then
      requests[#requests + 1] = wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. token })
    end
  end
  if #requests == 0 then
    error("no tokens in " .. path)
  end
  -- Go on where the previous run stopped (args[2], 0-based), not from the top.
  next_index = (tonumber(args[2]) or 0) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
