package synthetic

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/policygraph/policygraph/loader"
)

// hanzi are the characters generated project names are drawn from: common
// enough to look like plan text, many enough that a four-character name
// is nearly unique in a national corpus, so text similarity has something
// to tell one measure from another and a copy from its original.
const hanzi = "数据智能网络平台应用创新融合服务产业工程中心枢纽园区示范试点融通算力感知互联协同安全开放共享治理交通能源医疗教育金融贸易制造农业生态城市政务民生港口物流车联北斗量子芯片软件硬件终端基站光纤云端边缘节点链路标识解析工业互通孪生视觉语音机器人"

var verbs = []string{"Build", "Promote", "Deploy", "Pilot", "Expand", "Upgrade"}
var verbsZh = []string{"建设", "推进", "部署", "试点", "拓展", "升级"}

// names are the vocabulary's names a generated text uses, by id.
type names map[string]loader.Names

// describe writes a generated measure's title, summary and keywords from
// its technologies and domains and a project name of its own.
func describe(r *rand.Rand, md *loader.MeasureDef, cityName string, n names) {
	hz := []rune(hanzi)
	var project strings.Builder
	for range 4 {
		project.WriteRune(hz[r.IntN(len(hz))])
	}
	v := r.IntN(len(verbs))
	var techEn, techZh []string
	for _, t := range md.Technologies {
		techEn = append(techEn, n[t.ID]["en"])
		techZh = append(techZh, n[t.ID]["zh"])
	}
	var domEn []string
	for _, d := range md.Domains {
		domEn = append(domEn, n[d]["en"])
	}
	md.Title = fmt.Sprintf("%s %s for %s: the %s project", verbs[v], strings.Join(techEn, " and "), strings.Join(domEn, " and "), project.String())
	md.Evidence.Summary = fmt.Sprintf("%s%s%s项目，%s应用于%s。", cityName, verbsZh[v], project.String(), strings.Join(techZh, "、"), n[md.Domains[0]]["zh"])
	md.Keywords = append([]string{project.String()}, techZh...)
}
