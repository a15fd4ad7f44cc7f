package loader

import "testing"

func TestRemoveRelated(t *testing.T) {
	tests := []struct {
		name, src, plan, want string
	}{
		{
			name: "one of two flow items",
			src:  "id: a\nrelated:\n  - {plan: b, relation: companion}\n  - {plan: c, relation: special-plan}\nsource: s\n",
			plan: "b",
			want: "id: a\nrelated:\n  - {plan: c, relation: special-plan}\nsource: s\n",
		},
		{
			name: "the only item goes with its key, comments stay",
			src:  "id: a\n# the companion\nrelated:\n  - {plan: b, relation: companion}\n# where it comes from\nsource: s\n",
			plan: "b",
			want: "id: a\n# the companion\n# where it comes from\nsource: s\n",
		},
		{
			name: "a block mapping item over two lines, last in the file",
			src:  "id: a\nrelated:\n  - plan: c\n    relation: companion\n  - plan: b\n    relation: special-plan\n",
			plan: "b",
			want: "id: a\nrelated:\n  - plan: c\n    relation: companion\n",
		},
		{
			name: "a dash on a line of its own",
			src:  "id: a\nrelated:\n  -\n    plan: b\n    relation: companion\n  -\n    plan: c\n    relation: companion\nsource: s\n",
			plan: "b",
			want: "id: a\nrelated:\n  -\n    plan: c\n    relation: companion\nsource: s\n",
		},
		{
			name: "no such entry: unchanged",
			src:  "id: a\nrelated:\n  - {plan: c, relation: companion}\n",
			plan: "b",
			want: "id: a\nrelated:\n  - {plan: c, relation: companion}\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RemoveRelated([]byte(tc.src), tc.plan)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	if _, err := RemoveRelated([]byte("id: a\nrelated: [{plan: b, relation: companion}]\n"), "b"); err == nil {
		t.Error("a flow list was edited")
	}
}
