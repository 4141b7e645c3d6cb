/**
 * The demo bank's org tree: 总行 → 10 branches (BR01…BR10) → 2–4 sub-branches each. Codes BR01
 * and BR10 and sub-branch codes like BR01S01 give the scope checks real prefixes to get wrong
 * (a subtree is `path LIKE '/HO/BR01/%'`, never `LIKE '/HO/BR01%'`).
 */
export interface BranchDef {
  code: string;
  name: string;
  nameEn: string;
  province: string;
  city: string;
  /** Share of the bank's customers. */
  weight: number;
  /** Resident-ID area codes (GB/T 2260) of the city's districts. */
  areaCodes: readonly string[];
  subBranches: readonly (readonly [name: string, nameEn: string])[];
}

export const HEAD_OFFICE = { code: "HO", name: "总行", nameEn: "Head Office", region: "北京市" } as const;

export const BRANCHES: readonly BranchDef[] = [
  { code: "BR01", name: "北京分行", nameEn: "Beijing Branch", province: "北京市", city: "北京市", weight: 16,
    areaCodes: ["110101", "110102", "110105", "110106", "110108"],
    subBranches: [["朝阳支行", "Chaoyang Sub-branch"], ["海淀支行", "Haidian Sub-branch"], ["西城支行", "Xicheng Sub-branch"], ["东城支行", "Dongcheng Sub-branch"]] },
  { code: "BR02", name: "上海分行", nameEn: "Shanghai Branch", province: "上海市", city: "上海市", weight: 15,
    areaCodes: ["310101", "310104", "310105", "310110", "310115"],
    subBranches: [["浦东支行", "Pudong Sub-branch"], ["徐汇支行", "Xuhui Sub-branch"], ["静安支行", "Jing'an Sub-branch"], ["黄浦支行", "Huangpu Sub-branch"]] },
  { code: "BR03", name: "广州分行", nameEn: "Guangzhou Branch", province: "广东省", city: "广州市", weight: 11,
    areaCodes: ["440103", "440104", "440105", "440106"],
    subBranches: [["天河支行", "Tianhe Sub-branch"], ["越秀支行", "Yuexiu Sub-branch"], ["海珠支行", "Haizhu Sub-branch"]] },
  { code: "BR04", name: "深圳分行", nameEn: "Shenzhen Branch", province: "广东省", city: "深圳市", weight: 11,
    areaCodes: ["440303", "440304", "440305", "440306"],
    subBranches: [["福田支行", "Futian Sub-branch"], ["南山支行", "Nanshan Sub-branch"], ["罗湖支行", "Luohu Sub-branch"]] },
  { code: "BR05", name: "杭州分行", nameEn: "Hangzhou Branch", province: "浙江省", city: "杭州市", weight: 9,
    areaCodes: ["330102", "330105", "330106", "330108"],
    subBranches: [["西湖支行", "Xihu Sub-branch"], ["滨江支行", "Binjiang Sub-branch"], ["拱墅支行", "Gongshu Sub-branch"]] },
  { code: "BR06", name: "成都分行", nameEn: "Chengdu Branch", province: "四川省", city: "成都市", weight: 9,
    areaCodes: ["510104", "510105", "510106", "510107"],
    subBranches: [["锦江支行", "Jinjiang Sub-branch"], ["武侯支行", "Wuhou Sub-branch"], ["高新支行", "Gaoxin Sub-branch"]] },
  { code: "BR07", name: "武汉分行", nameEn: "Wuhan Branch", province: "湖北省", city: "武汉市", weight: 8,
    areaCodes: ["420102", "420103", "420106", "420111"],
    subBranches: [["江汉支行", "Jianghan Sub-branch"], ["武昌支行", "Wuchang Sub-branch"]] },
  { code: "BR08", name: "南京分行", nameEn: "Nanjing Branch", province: "江苏省", city: "南京市", weight: 8,
    areaCodes: ["320102", "320104", "320105", "320106"],
    subBranches: [["鼓楼支行", "Gulou Sub-branch"], ["秦淮支行", "Qinhuai Sub-branch"], ["建邺支行", "Jianye Sub-branch"]] },
  { code: "BR09", name: "西安分行", nameEn: "Xi'an Branch", province: "陕西省", city: "西安市", weight: 7,
    areaCodes: ["610102", "610103", "610104", "610113"],
    subBranches: [["雁塔支行", "Yanta Sub-branch"], ["碑林支行", "Beilin Sub-branch"]] },
  { code: "BR10", name: "苏州分行", nameEn: "Suzhou Branch", province: "江苏省", city: "苏州市", weight: 6,
    areaCodes: ["320505", "320506", "320507", "320508"],
    subBranches: [["姑苏支行", "Gusu Sub-branch"], ["工业园区支行", "SIP Sub-branch"], ["吴中支行", "Wuzhong Sub-branch"]] },
];

/** Birthplaces of customers who moved to the branch's city (area codes of other provinces' capitals). */
export const MIGRANT_AREA_CODES = [
  "130102", "140105", "210102", "220102", "230102", "340102", "350102", "360102", "370102", "410102",
  "430102", "450102", "500101", "520102", "530102", "620102", "130602", "370202", "410302", "431002",
] as const;

export interface OrgUnitRow {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  level: "HEAD_OFFICE" | "BRANCH" | "SUB_BRANCH";
  parentId: string | null;
  path: string;
  region: string;
}

export interface SubBranchRef extends OrgUnitRow {
  branch: BranchDef;
  branchIndex: number;
}

/** The org units in tree order with stable ids ("org_" + code). */
export function orgUnits(): { units: OrgUnitRow[]; subBranches: SubBranchRef[] } {
  const ho: OrgUnitRow = { id: "org_HO", code: "HO", name: HEAD_OFFICE.name, nameEn: HEAD_OFFICE.nameEn, level: "HEAD_OFFICE", parentId: null, path: "/HO/", region: HEAD_OFFICE.region };
  const units: OrgUnitRow[] = [ho];
  const subBranches: SubBranchRef[] = [];
  BRANCHES.forEach((b, branchIndex) => {
    const br: OrgUnitRow = { id: `org_${b.code}`, code: b.code, name: b.name, nameEn: b.nameEn, level: "BRANCH", parentId: ho.id, path: `/HO/${b.code}/`, region: b.province };
    units.push(br);
    b.subBranches.forEach(([name, nameEn], i) => {
      const code = `${b.code}S${String(i + 1).padStart(2, "0")}`;
      const sub: SubBranchRef = { id: `org_${code}`, code, name: `${b.name.replace("分行", "")}${name}`, nameEn: `${b.nameEn.replace(" Branch", "")} ${nameEn}`, level: "SUB_BRANCH", parentId: br.id, path: `${br.path}${code}/`, region: b.province, branch: b, branchIndex };
      units.push(sub);
      subBranches.push(sub);
    });
  });
  return { units, subBranches };
}
