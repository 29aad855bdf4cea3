/// Columns laid out like docker's tabwriter (minimum width 10, padding 3): every column but the
/// last is padded to its widest cell plus three spaces.
struct Table {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                if column == row.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: max(widths[column] + 3, 10) - cell.count)
                }
            }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
