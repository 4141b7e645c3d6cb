/**
 * Reference lists for believable retail customers: surname frequencies (approximate shares of the
 * population in per mille, from published surname statistics), given-name characters, occupations,
 * mobile number prefixes.
 */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ["王", 72.5], ["李", 71.9], ["张", 68.3], ["刘", 53.8], ["陈", 45.3], ["杨", 30.8], ["赵", 22.9], ["黄", 22.3],
  ["周", 19.5], ["吴", 20.5], ["徐", 16.2], ["孙", 15.4], ["胡", 13.1], ["朱", 13.2], ["高", 11.0], ["林", 10.3],
  ["何", 11.7], ["郭", 11.8], ["马", 14.4], ["罗", 9.7], ["梁", 9.2], ["宋", 7.8], ["郑", 9.3], ["谢", 8.3],
  ["韩", 7.1], ["唐", 7.6], ["冯", 6.9], ["于", 5.4], ["董", 5.8], ["萧", 1.2], ["程", 4.7], ["曹", 6.7],
  ["袁", 5.5], ["邓", 6.8], ["许", 7.1], ["傅", 2.6], ["沈", 4.2], ["曾", 6.2], ["彭", 6.3], ["吕", 4.5],
  ["苏", 4.6], ["卢", 4.0], ["蒋", 5.2], ["蔡", 5.1], ["贾", 3.0], ["丁", 4.4], ["魏", 4.6], ["薛", 2.2],
  ["叶", 4.7], ["阎", 1.0], ["余", 4.9], ["潘", 5.4], ["杜", 4.8], ["戴", 1.5], ["夏", 2.9], ["钟", 3.7],
  ["汪", 3.4], ["田", 5.9], ["任", 4.3], ["姜", 3.9], ["范", 3.3], ["方", 2.7], ["石", 3.1], ["姚", 4.1],
  ["谭", 3.6], ["廖", 3.0], ["邹", 2.6], ["熊", 2.5], ["金", 3.2], ["陆", 3.5], ["郝", 1.7], ["孔", 1.4],
  ["白", 2.6], ["崔", 3.8], ["康", 1.3], ["毛", 1.7], ["邱", 2.4], ["秦", 2.4], ["江", 2.3], ["史", 2.0],
  ["顾", 1.8], ["侯", 2.0], ["邵", 1.6], ["孟", 2.5], ["龙", 2.0], ["万", 1.6], ["段", 2.1], ["雷", 2.1],
  ["钱", 1.6], ["汤", 1.4], ["尹", 2.3], ["黎", 1.9], ["易", 1.3], ["常", 1.4], ["武", 1.5], ["乔", 1.2],
  ["贺", 1.8], ["赖", 1.3], ["龚", 1.7], ["文", 1.3], ["欧阳", 0.5], ["司马", 0.1], ["上官", 0.1], ["诸葛", 0.1],
];

export const GIVEN_MALE = [..."伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国峰亮成东文志海晨宏博翔昊天毅睿轩豪嘉航泽瑞诚铭锋"];
export const GIVEN_FEMALE = [..."芳娜敏静丽艳娟霞秀玲英燕婷雪琳晶颖慧倩洁佳怡欣悦梦璐瑶雯薇萍红梅兰月蕾琪涵诗雨思晓彤婧妍琳蓉岚"];
/** Characters either gender's names use as the first of two given-name characters. */
export const GIVEN_SHARED = [..."子家梓一雨思欣佳志海晓春秋文美丽建玉俊嘉若晨"];

/** Occupations with weights by life stage: [label, weight under 25, 25–59, 60 and over]. */
export const OCCUPATIONS: readonly (readonly [string, number, number, number])[] = [
  ["学生", 40, 0, 0],
  ["企业职员", 30, 34, 3],
  ["公务员", 2, 6, 1],
  ["教师", 2, 5, 1],
  ["医生", 1, 3, 1],
  ["工程师", 5, 9, 1],
  ["金融从业者", 2, 4, 0.5],
  ["个体工商户", 4, 10, 3],
  ["企业主", 0.5, 5, 2],
  ["自由职业", 10, 8, 2],
  ["农民", 2, 4, 3],
  ["军人", 1.5, 1, 0],
  ["退休", 0, 2, 80],
  ["其他", 2, 5, 3],
];

/** Occupations that receive a salary through a payroll agreement (代发) more often than not. */
export const SALARIED = new Set(["企业职员", "公务员", "教师", "医生", "工程师", "金融从业者", "军人"]);

export const MOBILE_PREFIXES = [
  "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
  "156", "157", "158", "159", "166", "173", "177", "180", "181", "182", "183", "185", "186", "187", "188",
  "189", "191", "198", "199",
] as const;

export const EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "outlook.com", "gmail.com"] as const;

/** Card merchant category codes with a typical spend in CNY. */
export const MERCHANTS: readonly (readonly [mcc: string, medianCny: number, weight: number])[] = [
  ["5411", 120, 30], // supermarkets
  ["5812", 160, 25], // restaurants
  ["5311", 400, 8], // department stores
  ["5541", 300, 8], // fuel
  ["4121", 45, 8], // taxis and ride hailing
  ["5732", 1800, 4], // electronics
  ["7011", 650, 4], // hotels
  ["4511", 1400, 3], // airlines
  ["5999", 200, 10], // other retail
];

export const SEARCH_KEYWORDS = ["理财", "基金", "定期存款", "大额存单", "黄金", "信用卡", "贷款", "保险", "养老", "转账"] as const;
