package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/policygraph/policygraph/graph"
	"github.com/policygraph/policygraph/schema"
)

// A questionForm is one kind of plain question /v1/ask reads, in several
// phrasings, and the endpoint it becomes.
type questionForm struct {
	example  string
	endpoint string
	patterns []*regexp.Regexp
}

// The named groups a pattern may capture, and the entity type of each.
var groupTypes = map[string]schema.Type{"tech": schema.Technology, "domain": schema.Domain, "city": schema.City}

// groupParams maps a captured group to the endpoint parameter it fills.
var groupParams = map[string]string{"tech": "technology", "domain": "domain", "city": "city"}

func patterns(ps ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(ps))
	for i, p := range ps {
		out[i] = regexp.MustCompile(`(?i)^` + p + `$`)
	}
	return out
}

// Order matters: the first form whose pattern matches wins, so the
// narrower "apply X to Y" comes before "use X".
var questionForms = []questionForm{
	{
		example:  "which cities apply blockchain to finance? / 哪些城市将区块链应用于金融？",
		endpoint: "/v1/cities",
		patterns: patterns(
			`which cities (?:apply|use|are applying|are using) (?P<tech>.+?) (?:to|in|for) (?P<domain>.+?)`,
			`哪些城市(?:将|把|在)(?P<tech>.+?)(?:应用于|应用到|用于|用在|应用在)(?P<domain>.+?)(?:领域|方面)?`,
			`(?P<tech>.+?)を(?P<domain>.+?)(?:分野)?に(?:応用|活用|適用)(?:している|する)都市は(?:どこ(?:です)?か?)?`,
		),
	},
	{
		example:  "what does Fuzhou offer blockchain firms? / 福州对区块链企业提供哪些支持？",
		endpoint: "/v1/support",
		patterns: patterns(
			`what (?:does|do) (?P<city>.+?) (?:pay|offer|give|provide)(?: to)? (?P<tech>.+?) (?:firms|companies|enterprises|businesses)`,
			`(?P<city>.+?)(?:对|给|向|为)(?P<tech>.+?)企业提供(?:了)?(?:哪些|什么)(?:支持|补贴|扶持|政策)`,
		),
	},
	{
		example:  "which cities use blockchain? / 哪些城市使用区块链？",
		endpoint: "/v1/cities",
		patterns: patterns(
			`which cities (?:use|apply|build|mention|deploy|have) (?P<tech>.+?)`,
			`哪些城市(?:使用|应用|采用|提到|提及|发展|建设)(?:了)?(?P<tech>.+?)`,
		),
	},
	{
		example:  "what does Beijing do with blockchain? / 北京在区块链方面做了什么？",
		endpoint: "/v1/measures",
		patterns: patterns(
			`what (?:does|did|will) (?P<city>.+?) do (?:with|about|in|on) (?P<tech>.+?)`,
			`(?P<city>.+?)(?:在|对)(?P<tech>.+?)(?:方面|领域)?(?:做了什么|做什么|有哪些措施|有什么措施|有哪些举措)`,
		),
	},
	{
		example:  "how often is 5G mentioned? / 5G被提及多少次？",
		endpoint: "/v1/mentions",
		patterns: patterns(
			`how (?:often|many times) (?:is|are|was|were) (?P<tech>.+?) mentioned(?: (?:in|by) (?P<city>.+?))?`,
			`how (?:often|many times) (?:does|did|do) (?P<city>.+?) mention (?P<tech>.+?)`,
			`(?P<city>.+?)(?:的规划|的方案)?(?:提到|提及)(?:了)?(?P<tech>.+?)(?:多少次|几次)`,
			`(?P<tech>.+?)(?:被)?(?:提到|提及)(?:了)?(?:多少次|几次)`,
		),
	},
	{
		example:  "which plans did Beijing publish? / 北京发布了哪些规划？",
		endpoint: "/v1/plans",
		patterns: patterns(
			`(?:which|what) plans (?:did|does|has|have) (?P<city>.+?) (?:publish|published|issue|issued|have|adopt|adopted)`,
			`(?P<city>.+?)(?:发布|出台|印发)(?:了)?(?:哪些|什么)(?:规划|计划|方案|文件|政策)`,
		),
	},
}

// interpretation is the structured query a question became.
type interpretation struct {
	Endpoint string            `json:"endpoint"`
	Params   map[string]string `json:"params"`
	Query    string            `json:"query"`
}

// trimQuestion drops the punctuation and filler around a question.
func trimQuestion(q string) string {
	q = strings.TrimSpace(q)
	q = strings.TrimRight(q, "?？!！。. ")
	return strings.Join(strings.Fields(q), " ")
}

// cleanName strips articles and words that often surround an entity name.
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"the ", "The "} {
		s = strings.TrimPrefix(s, p)
	}
	for _, suf := range []string{" technology", " technologies", " sector", " domain", " field", " city", "技术", "领域", "行业"} {
		if t := strings.TrimSuffix(s, suf); t != s && t != "" {
			s = t
		}
	}
	return strings.TrimSpace(s)
}

// interpret turns a question into an endpoint with resolved parameters.
// An unreadable question is a 422 listing the forms; a readable one
// naming an unknown entity is a 404 with suggestions.
func interpret(v *graph.View, question string) (*interpretation, error) {
	q := trimQuestion(question)
	var lastErr error
	for _, f := range questionForms {
		for _, re := range f.patterns {
			m := re.FindStringSubmatch(q)
			if m == nil {
				continue
			}
			in := &interpretation{Endpoint: f.endpoint, Params: map[string]string{}}
			var err error
			for i, name := range re.SubexpNames() {
				t, ok := groupTypes[name]
				if !ok || m[i] == "" {
					continue
				}
				id, sugg := v.Resolve(t, cleanName(m[i]))
				if id == "" {
					err = notFound(sugg, "unknown %s %q in the question", t, cleanName(m[i]))
					break
				}
				in.Params[groupParams[name]] = id
			}
			if err != nil {
				// Another phrasing may split the question differently.
				lastErr = err
				continue
			}
			vals := url.Values{}
			for k, val := range in.Params {
				vals.Set(k, val)
			}
			in.Query = in.Endpoint + "?" + vals.Encode()
			return in, nil
		}
	}
	if lastErr != nil {
		return nil, lastErr
	}
	forms := make([]string, len(questionForms))
	for i, f := range questionForms {
		forms[i] = f.example
	}
	return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: "unreadable_question",
		Message: "could not read the question " + strconv.Quote(question) + "; ask it in one of the forms listed", Forms: forms}
}

// ask answers a plain question by running the query it reads as; the
// answer carries that interpretation beside the rows.
func (s *Server) ask() gin.HandlerFunc {
	return func(c *gin.Context) {
		q := c.Query("q")
		if strings.TrimSpace(q) == "" {
			s.fail(c, badRequest("missing q: the question to answer"))
			return
		}
		v, err := s.view(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		in, err := interpret(v, q)
		if err != nil {
			s.fail(c, err)
			return
		}
		extra := gin.H{"question": q, "interpretation": in}
		c.Header("X-Interpretation", in.Query)
		p := in.Params
		switch in.Endpoint {
		case "/v1/cities":
			tableWith(s, c, v.CitiesWith(graph.MeasureFilter{Technology: p["technology"], Domain: p["domain"]}), cityColumns, extra)
		case "/v1/measures":
			tableWith(s, c, v.FindMeasures(graph.MeasureFilter{City: p["city"], Technology: p["technology"]}), measureColumns, extra)
		case "/v1/mentions":
			tableWith(s, c, v.CityMentions(p["technology"], p["city"], false), mentionColumns, extra)
		case "/v1/plans":
			tableWith(s, c, v.PlansOf(p["city"]), planColumns, extra)
		case "/v1/support":
			tableWith(s, c, v.SupportOf(p["technology"], p["city"]), supportColumns, extra)
		}
	}
}
