// Text from the API made safe inside the report's HTML: as element text and attribute
// values, as JSON inside a <script>, and as a link.
#pragma once

#include <string>
#include <string_view>

namespace etl {

// & < > " ' as character references: safe as element text and as a quoted attribute value.
std::string html_escape(std::string_view text);

// JSON text that no content can end early inside a <script> element: every <, > and & (which
// JSON has only inside strings) as \u003c, \u003e, \u0026, so neither `</script>` nor `<!--`
// appears; the parsed value is unchanged.
std::string script_safe_json(std::string_view json);

// `url` if it is an http(s) link, else "" (a javascript: or data: URL from the API is no link).
std::string web_link(std::string_view url);

}  // namespace etl
