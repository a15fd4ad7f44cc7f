package view

// Encoders for the rows of the cities question, byte for byte what
// encoding/json writes of them: at size L its answer is 100 KB, and
// encoding/json's reflection was as much as finding the rows.

// AppendJSON appends r as encoding/json writes it.
func (r *CityRow) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"city":`...)
	dst = AppendJSONString(dst, r.City)
	dst = append(dst, `,"name":`...)
	dst = AppendJSONString(dst, r.Name)
	dst = append(dst, `,"basis":`...)
	dst = AppendJSONString(dst, string(r.Basis))
	dst = append(dst, `,"plans":`...)
	dst = AppendJSONStrings(dst, r.Plans)
	dst = append(dst, `,"measures":`...)
	dst = AppendJSONStrings(dst, r.Measures)
	if len(r.Matched) > 0 {
		dst = append(dst, `,"matched":`...)
		dst = AppendJSONStrings(dst, r.Matched)
	}
	return append(dst, '}')
}

// AppendJSON appends n as encoding/json writes it.
func (n *CoverageNote) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"city":`...)
	dst = AppendJSONString(dst, n.City)
	dst = append(dst, `,"status":`...)
	dst = AppendJSONString(dst, n.Status)
	if len(n.Mentions) > 0 {
		dst = append(dst, `,"mentions":`...)
		dst = AppendJSONStrings(dst, n.Mentions)
	}
	dst = append(dst, `,"note":`...)
	dst = AppendJSONString(dst, n.Note)
	return append(dst, '}')
}

// AppendJSONStrings appends ss as encoding/json writes a []string: null
// when nil.
func AppendJSONStrings(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, s)
	}
	return append(dst, ']')
}
